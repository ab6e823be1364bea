// The functions of this module are static inline in include/CVector.h; this file gives the
// target a translation unit.
#include "CVector.h"
