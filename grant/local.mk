# grant/: grant tables. HVGRANTSRC lists the sources linked into the hypervisor.
HVGRANTSRC = grant/grant_table.c
