/*
 * PVH start info. Xen keeps this header under arch-x86/hvm/; this name is
 * kept for code that looks for it beside the other hvm/ headers.
 */
#include "../arch-x86/hvm/start_info.h"
