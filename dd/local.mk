# dd/: driver domains (PCI, VT-d). HVDDSRC lists sources linked into the hypervisor.
HVDDSRC =
