// mime_parser_test.cc: placeholder, written next.
