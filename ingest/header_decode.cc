// header_decode.cc: placeholder, written next.
