#pragma once

#include <string>
#include <string_view>

#include "kernel/result.h"

namespace ordersvc::plugins {

// Checks, without mapping it, that `bytes` (a library's content) are a complete 64-bit
// little-endian ELF shared object for this machine: every loadable segment and the
// section headers lie inside it. dlopen trusts these headers, so a truncated library
// would otherwise map pages past its end and kill the process with SIGBUS on first touch.
// Errors: InvalidArgument naming what is wrong and both sizes.
Status checkElfSharedObject(std::string_view bytes);

}  // namespace ordersvc::plugins
