// header_decode_test.cc: placeholder, written next.
