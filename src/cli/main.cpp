#include "cli/app.hpp"

int main(int argc, char** argv) { return sitegen::cli::main(argc, argv); }
