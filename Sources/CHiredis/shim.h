#ifndef LIVEHUB_CHIREDIS_SHIM_H
#define LIVEHUB_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
