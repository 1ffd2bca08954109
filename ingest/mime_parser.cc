// mime_parser.cc: placeholder, written next.
