// mbox_reader.cc: placeholder, written next.
