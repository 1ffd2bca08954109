// build_kind.h: what the tests were built with, for checks that mean something only without sanitizers.
#pragma once

namespace folio::testing {

// True in an AddressSanitizer build (scripts/test-sanitized.sh), where every
// program runs several times slower and freed memory is held in ASan's
// quarantine, so peak RSS says nothing about what folio keeps.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace folio::testing
