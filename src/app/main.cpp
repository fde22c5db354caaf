// Entry point of the kallithea binary (server and admin CLI).
int main() { return 0; }
