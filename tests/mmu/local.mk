# tests/mmu: PV MMU test and attack guests (issue 4).
