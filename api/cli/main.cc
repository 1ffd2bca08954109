// main.cc: the folio command line.
int main() { return 0; }
