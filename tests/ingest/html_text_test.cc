// html_text_test.cc: placeholder, written next.
