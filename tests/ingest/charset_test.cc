// charset_test.cc: placeholder, written next.
