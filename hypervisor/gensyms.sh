#!/bin/sh
# Generate the backtrace symbol table (assembly) from a linked image:
# every symbol inside .text, sorted by address.
# usage: gensyms.sh NM IMAGE > symtab.S
set -eu
nm="$1"
img="$2"
"$nm" -n "$img" | awk '
  $3 == "__text_end" { end = $1 }
  { addr[NR] = $1; type[NR] = $2; name[NR] = $3 }
  END {
    print "        .section .symtab_pv, \"a\""
    print "        .balign 8"
    print "        .globl pv_symtab"
    print "pv_symtab:"
    n = 0
    for (i = 1; i <= NR; i++) {
      if (type[i] !~ /^[tTW]$/ || name[i] ~ /^\./ || length(addr[i]) != 16 || addr[i] >= end) continue
      printf "        .quad 0x%s, .Lname%d\n", addr[i], n
      keep[n++] = name[i]
    }
    print "        .globl pv_symtab_count"
    print "pv_symtab_count:"
    printf "        .quad %d\n", n
    for (i = 0; i < n; i++) printf ".Lname%d: .asciz \"%s\"\n", i, keep[i]
  }'
