// html_text.cc: placeholder, written next.
