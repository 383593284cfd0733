/*
 * Checks of the function-like macros, included into abicheck's main().
 * gen-checks.sh refuses a header that defines a function-like macro not
 * used here, so every one of them is run on both sides and compared.
 */

/* ---- xen.h: number suffixes, UUIDs ---- */
CHECK_EXPR("xen_mk_uint(7)", xen_mk_uint(7));
CHECK_EXPR("xen_mk_ulong(7)", xen_mk_ulong(7));
CHECK_EXPR("xen_mk_ullong(7)", xen_mk_ullong(7));
CHECK_EXPR("__xen_mk_uint(9)", __xen_mk_uint(9));
CHECK_EXPR("__xen_mk_ulong(9)", __xen_mk_ulong(9));
CHECK_EXPR("__xen_mk_ullong(9)", __xen_mk_ullong(9));
{
    xen_uuid_t u = XEN_DEFINE_UUID(0x00112233, 0x4455, 0x6677, 0x8899,
                                   0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);
    xen_uuid_t u2 = XEN_DEFINE_UUID_(0xdeadbeef, 0x1234, 0x5678, 0x9abc,
                                     1, 2, 3, 4, 5, 6);
    emit_bytes("expr", "XEN_DEFINE_UUID", &u, sizeof(u));
    emit_bytes("expr", "XEN_DEFINE_UUID_", &u2, sizeof(u2));
}

/* ---- guest handles ---- */
{
    typedef struct { int a; long b; } abichk_obj_t;
    DEFINE_XEN_GUEST_HANDLE(abichk_obj_t);
    __DEFINE_XEN_GUEST_HANDLE(abichk_u16, uint16_t);
    ___DEFINE_XEN_GUEST_HANDLE(abichk_raw, char);
    XEN_GUEST_HANDLE(abichk_obj_t) h;
    XEN_GUEST_HANDLE_PARAM(const_abichk_obj_t) hc;
    __XEN_GUEST_HANDLE(abichk_u16) h16;
    __XEN_GUEST_HANDLE(const_abichk_u16) hc16;
    XEN_GUEST_HANDLE(abichk_raw) hraw;
    abichk_obj_t obj;
    uint16_t v16 = 0;

    set_xen_guest_handle(h, &obj);
    set_xen_guest_handle(hc, &obj);
    set_xen_guest_handle_raw(h16, &v16);
    set_xen_guest_handle_raw(hc16, NULL);
    set_xen_guest_handle(hraw, NULL);
    CHECK_EXPR("set_xen_guest_handle", (int)(h.p == &obj && hc.p == &obj));
    CHECK_EXPR("set_xen_guest_handle_raw", (int)(h16.p == &v16 && hc16.p == NULL));
    CHECK_EXPR("sizeof(XEN_GUEST_HANDLE(x))", sizeof(h) + sizeof(hc) + sizeof(hraw));
    CHECK_EXPR("offsetof handle p", offsetof(__XEN_GUEST_HANDLE(abichk_obj_t), p));
}

/* ---- arch-x86: trap_info flags, CR3 <-> frame ---- */
{
    struct trap_info ti;

    memset(&ti, 0, sizeof(ti));
    TI_SET_DPL(&ti, 3);
    TI_SET_IF(&ti, 5);
    CHECK_EXPR("TI_SET_DPL/TI_SET_IF flags", ti.flags);
    CHECK_EXPR("TI_GET_DPL", TI_GET_DPL(&ti));
    CHECK_EXPR("TI_GET_IF", TI_GET_IF(&ti));
    memset(&ti, 0, sizeof(ti));
    TI_SET_IF(&ti, 0);
    CHECK_EXPR("TI_GET_IF(0)", TI_GET_IF(&ti));
}
CHECK_EXPR("xen_pfn_to_cr3(0x12345)", xen_pfn_to_cr3(0x12345));
CHECK_EXPR("xen_cr3_to_pfn(0x12345fff)", xen_cr3_to_pfn(0x12345fff));

/* ---- memory.h ---- */
CHECK_EXPR("XENMEMF_address_bits(32)", XENMEMF_address_bits(32));
CHECK_EXPR("XENMEMF_get_address_bits(0x12345)", XENMEMF_get_address_bits(0x12345));
CHECK_EXPR("XENMEMF_node(3)", XENMEMF_node(3));
CHECK_EXPR("XENMEMF_get_node(0x400)", XENMEMF_get_node(0x400));
CHECK_EXPR("XENMEMF_exact_node(2)", XENMEMF_exact_node(2));
CHECK_EXPR("XENMEM_resource_ioreq_server_frame_ioreq(3)",
           XENMEM_resource_ioreq_server_frame_ioreq(3));

/* ---- vcpu.h ---- */
CHECK_EXPR("xen_vcpu_physid_to_x86_apicid",
           xen_vcpu_physid_to_x86_apicid(0x1122334455667788ull));
CHECK_EXPR("xen_vcpu_physid_to_x86_acpiid",
           xen_vcpu_physid_to_x86_acpiid(0x1122334455667788ull));

/* ---- io/console.h, io/xs_wire.h ---- */
CHECK_EXPR("MASK_XENCONS_IDX(out)",
           MASK_XENCONS_IDX(5000u, ((struct xencons_interface *)0)->out));
CHECK_EXPR("MASK_XENCONS_IDX(in)",
           MASK_XENCONS_IDX(5000u, ((struct xencons_interface *)0)->in));
CHECK_EXPR("MASK_XENSTORE_IDX", MASK_XENSTORE_IDX(5000u));
for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
    char label[64];

    snprintf(label, sizeof(label), "xsd_errors[%zu]", i);
    printf("expr:%s\t%d %s\n", label, xsd_errors[i].errnum, xsd_errors[i].errstring);
}
{
    struct xsd_errors e = XSD_ERROR(ENOENT);
    printf("expr:XSD_ERROR(ENOENT)\t%d %s\n", e.errnum, e.errstring);
}

/* ---- errno.h as an X-macro list ---- */
#define XEN_ERRNO(name, value) printf("expr:XEN_ERRNO(%s)\t%d\n", #name, value);
#include ERRNO_HEADER

/* ---- io/ring.h: rounding, layout, and a front/back exchange ---- */
{
    static const unsigned int rd_in[] = { 0, 1, 2, 3, 5, 8, 127, 128, 255,
                                          4095, 65535, 65536, 0x80000001u,
                                          0xffffffffu };
    for (size_t i = 0; i < sizeof(rd_in) / sizeof(rd_in[0]); i++) {
        char label[64];

        snprintf(label, sizeof(label), "__RD32(%#x)", rd_in[i]);
        CHECK_EXPR(label, __RD32(rd_in[i]));
        snprintf(label, sizeof(label), "__RD16(%#x)", rd_in[i] & 0xffff);
        CHECK_EXPR(label, __RD16(rd_in[i] & 0xffff));
        snprintf(label, sizeof(label), "__RD8(%#x)", rd_in[i] & 0xff);
        CHECK_EXPR(label, __RD8(rd_in[i] & 0xff));
        snprintf(label, sizeof(label), "__RD4(%#x)", rd_in[i] & 0xf);
        CHECK_EXPR(label, __RD4(rd_in[i] & 0xf));
        snprintf(label, sizeof(label), "__RD2(%#x)", rd_in[i] & 0x3);
        CHECK_EXPR(label, __RD2(rd_in[i] & 0x3));
    }
}
{
    struct abichk_req { uint64_t id; uint8_t op; };
    struct abichk_rsp { uint32_t status; };
    DEFINE_RING_TYPES(abichk, struct abichk_req, struct abichk_rsp);
    static union { abichk_sring_t s; unsigned char page[4096]; } shared;
    abichk_sring_t *s = &shared.s;
    abichk_front_ring_t f;
    abichk_back_ring_t b;
    struct abichk_req req;
    struct abichk_rsp rsp;
    int notify, work;

    CHECK_SIZE(abichk_sring_t);
    CHECK_SIZE(union abichk_sring_entry);
    CHECK_OFFSET(struct abichk_sring, req_event);
    CHECK_OFFSET(struct abichk_sring, rsp_prod);
    CHECK_OFFSET(struct abichk_sring, rsp_event);
    CHECK_OFFSET(struct abichk_sring, pvt.netif.smartpoll_active);
    CHECK_OFFSET(struct abichk_sring, pvt.tapif_user.msg);
    CHECK_MSIZE(struct abichk_sring, pvt.pvt_pad);
    CHECK_OFFSET(struct abichk_sring, __pad);
    CHECK_OFFSET(struct abichk_sring, ring);
    CHECK_SIZE(abichk_front_ring_t);
    CHECK_OFFSET(struct abichk_front_ring, sring);
    CHECK_SIZE(abichk_back_ring_t);
    CHECK_OFFSET(struct abichk_back_ring, sring);
    CHECK_EXPR("__CONST_RING_SIZE(abichk, 4096)", __CONST_RING_SIZE(abichk, 4096));
    CHECK_EXPR("__RING_SIZE(s, 4096)", __RING_SIZE(s, 4096));

    memset(&shared, 0xa5, sizeof(shared));
    SHARED_RING_INIT(s);
    emit_bytes("expr", "SHARED_RING_INIT", s, offsetof(abichk_sring_t, ring));
    XEN_FRONT_RING_INIT(&f, s, 4096);
    FRONT_RING_INIT(&f, s, 4096);
    BACK_RING_INIT(&b, s, 4096);
    CHECK_EXPR("RING_SIZE", RING_SIZE(&f));
    CHECK_EXPR("RING_FREE_REQUESTS(empty)", RING_FREE_REQUESTS(&f));
    CHECK_EXPR("RING_FULL(empty)", RING_FULL(&f));

    for (unsigned int i = 0; i < 3; i++) {
        RING_GET_REQUEST(&f, f.req_prod_pvt)->id = 100 + i;
        f.req_prod_pvt++;
    }
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
    CHECK_EXPR("RING_PUSH_REQUESTS_AND_CHECK_NOTIFY", notify);
    CHECK_EXPR("req_prod", s->req_prod);
    RING_GET_REQUEST(&f, f.req_prod_pvt)->id = 103;
    f.req_prod_pvt++;
    RING_PUSH_REQUESTS(&f);
    CHECK_EXPR("RING_FREE_REQUESTS(4)", RING_FREE_REQUESTS(&f));
    CHECK_EXPR("RING_HAS_UNCONSUMED_REQUESTS", RING_HAS_UNCONSUMED_REQUESTS(&b));
    CHECK_EXPR("XEN_RING_NR_UNCONSUMED_REQUESTS", XEN_RING_NR_UNCONSUMED_REQUESTS(&b));
    CHECK_EXPR("RING_REQUEST_PROD_OVERFLOW(ok)", RING_REQUEST_PROD_OVERFLOW(&b, s->req_prod));
    CHECK_EXPR("RING_REQUEST_PROD_OVERFLOW(bad)", RING_REQUEST_PROD_OVERFLOW(&b, 1000u));
    RING_COPY_REQUEST(&b, b.req_cons, &req);
    b.req_cons++;
    CHECK_EXPR("RING_COPY_REQUEST", req.id);
    RING_COPY_(REQUEST, &b, b.req_cons, &req);
    b.req_cons++;
    CHECK_EXPR("RING_COPY_(REQUEST)", req.id);
    CHECK_EXPR("RING_REQUEST_CONS_OVERFLOW", RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons));

    RING_GET_RESPONSE(&b, b.rsp_prod_pvt)->status = 7;
    b.rsp_prod_pvt++;
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
    CHECK_EXPR("RING_PUSH_RESPONSES_AND_CHECK_NOTIFY", notify);
    RING_GET_RESPONSE(&b, b.rsp_prod_pvt)->status = 8;
    b.rsp_prod_pvt++;
    RING_PUSH_RESPONSES(&b);
    CHECK_EXPR("RING_HAS_UNCONSUMED_RESPONSES", RING_HAS_UNCONSUMED_RESPONSES(&f));
    CHECK_EXPR("XEN_RING_NR_UNCONSUMED_RESPONSES", XEN_RING_NR_UNCONSUMED_RESPONSES(&f));
    CHECK_EXPR("RING_RESPONSE_PROD_OVERFLOW(ok)", RING_RESPONSE_PROD_OVERFLOW(&f, s->rsp_prod));
    CHECK_EXPR("RING_RESPONSE_PROD_OVERFLOW(bad)", RING_RESPONSE_PROD_OVERFLOW(&f, 5000u));
    RING_COPY_RESPONSE(&f, f.rsp_cons, &rsp);
    f.rsp_cons++;
    CHECK_EXPR("RING_COPY_RESPONSE", rsp.status);
    CHECK_EXPR("RING_GET_RESPONSE", RING_GET_RESPONSE(&f, f.rsp_cons)->status);
    f.rsp_cons++;
    RING_FINAL_CHECK_FOR_RESPONSES(&f, work);
    CHECK_EXPR("RING_FINAL_CHECK_FOR_RESPONSES", work);
    CHECK_EXPR("rsp_event", s->rsp_event);
    RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
    CHECK_EXPR("RING_FINAL_CHECK_FOR_REQUESTS(pending)", work);
    b.req_cons += 2;
    RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
    CHECK_EXPR("RING_FINAL_CHECK_FOR_REQUESTS(idle)", work);
    CHECK_EXPR("req_event", s->req_event);

    FRONT_RING_ATTACH(&f, s, 42u, 4096);
    BACK_RING_ATTACH(&b, s, 42u, 4096);
    CHECK_EXPR("FRONT_RING_ATTACH", f.req_prod_pvt + f.rsp_cons + f.nr_ents);
    CHECK_EXPR("BACK_RING_ATTACH", b.rsp_prod_pvt + b.req_cons + b.nr_ents);
}
