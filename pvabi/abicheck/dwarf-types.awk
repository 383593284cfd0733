# Turn `readelf --debug-dump=info` output of a translation unit that
# includes every pvabi header into a list of layout checks:
#
#   CHECK_SIZE(type)                 every struct, union, enum and typedef
#   CHECK_OFFSET(type, member.path)  every member, recursing into nested
#   CHECK_MSIZE(type, member.path)   structs/unions (named or anonymous)
#   CHECK_BITFIELD(type, member)     bit-field members (no offsetof there)
#   CHECK_CONST(name)                every enumerator
#
# Input is the DWARF of the compiled headers, so the list is exactly what
# the compiler saw: nothing defined can be missed. Names listed in the file
# given as -v exclude=FILE (one per line: the freestanding stdint/stddef
# names) are left out.

function strip_name(v) {
    sub(/^\([^)]*\): /, "", v)
    return v
}

function ref(v) {
    if (match(v, /<0x[0-9a-f]+>/))
        return substr(v, RSTART + 3, RLENGTH - 4)
    return ""
}

# Follow typedef/const/volatile to the DIE that says what the type is.
function resolve(o,    n) {
    n = 0
    while (o != "" && (tag[o] == "typedef" || tag[o] == "const_type" ||
                       tag[o] == "volatile_type") && n++ < 64)
        o = type[o]
    return o
}

function is_flexible_array(o,    k, i, n, kk) {
    n = split(kids[o], kk, " ")
    for (i = 1; i <= n; i++) {
        k = kk[i]
        if (tag[k] == "subrange_type" && !has_bound[k])
            return 1
    }
    return 0
}

function walk(root, o, prefix,    n, kk, i, m, t, path) {
    n = split(kids[o], kk, " ")
    for (i = 1; i <= n; i++) {
        m = kk[i]
        if (tag[m] != "member")
            continue
        t = resolve(type[m])
        if (name[m] == "") {
            # An anonymous struct/union member: its members belong here.
            walk(root, t, prefix)
            continue
        }
        path = prefix name[m]
        if (bitfield[m]) {
            print "CHECK_BITFIELD(" root ", " path ")"
            continue
        }
        print "CHECK_OFFSET(" root ", " path ")"
        if (!(tag[t] == "array_type" && is_flexible_array(t)))
            print "CHECK_MSIZE(" root ", " path ")"
        if (tag[t] == "structure_type" || tag[t] == "union_type")
            walk(root, t, path ".")
    }
}

BEGIN {
    if (exclude != "")
        while ((getline line < exclude) > 0)
            excluded[line] = 1
}

/^ *<[0-9]+><[0-9a-f]+>: Abbrev Number: / {
    d = $1
    sub(/^ *</, "", d)
    o = d
    sub(/>.*/, "", d)
    sub(/^[0-9]+></, "", o)
    sub(/>.*/, "", o)
    cur = ""
    if (!match($0, /\(DW_TAG_[a-z_]+\)/))
        next
    cur = o
    tag[o] = substr($0, RSTART + 8, RLENGTH - 9)
    depth[o] = d + 0
    stack[d + 0] = o
    if (d + 0 > 0) {
        parent[o] = stack[d - 1]
        kids[parent[o]] = kids[parent[o]] " " o
    }
    order[++ndie] = o
    next
}

cur != "" && /DW_AT_/ {
    at = $0
    sub(/^ *<[0-9a-f]+> +/, "", at)
    attr = at
    sub(/ .*/, "", attr)
    val = at
    sub(/^DW_AT_[a-z_]+ *: */, "", val)
    if (attr == "DW_AT_name")
        name[cur] = strip_name(val)
    else if (attr == "DW_AT_type")
        type[cur] = ref(val)
    else if (attr == "DW_AT_bit_size")
        bitfield[cur] = 1
    else if (attr == "DW_AT_upper_bound" || attr == "DW_AT_count")
        has_bound[cur] = 1
}

END {
    # A typedef names an anonymous struct/union/enum it points to.
    for (i = 1; i <= ndie; i++) {
        o = order[i]
        if (tag[o] == "typedef" && name[o] != "" && type[o] != "" &&
            name[type[o]] == "" && !(type[o] in alias))
            alias[type[o]] = name[o]
    }
    for (i = 1; i <= ndie; i++) {
        o = order[i]
        t = tag[o]
        if (t == "structure_type" || t == "union_type" ||
            t == "enumeration_type") {
            if (name[o] != "") {
                if (excluded[name[o]])
                    continue
                if (t == "structure_type")
                    root = "struct " name[o]
                else if (t == "union_type")
                    root = "union " name[o]
                else
                    root = "enum " name[o]
            } else if (o in alias) {
                if (excluded[alias[o]])
                    continue
                root = alias[o]
            } else {
                continue        # reached through its parent
            }
            print "CHECK_SIZE(" root ")"
            if (t != "enumeration_type")
                walk(root, o, "")
        } else if (t == "typedef" && name[o] != "" && !excluded[name[o]]) {
            print "CHECK_SIZE(" name[o] ")"
        } else if (t == "enumerator" && name[o] != "" && !excluded[name[o]]) {
            print "CHECK_CONST(" name[o] ")"
        }
    }
}
