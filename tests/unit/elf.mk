# ELF loader, Xen ELF notes and bzImage/XZ unit tests (included from Makefile.am).
