# tests/guests: rules for this component (included from the top-level Makefile.am).
