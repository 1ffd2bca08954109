// source_test.cc: placeholder, written next.
