#include <d2l/d2l.h>
#include <iostream>
int main(int argc, char** argv) {
  d2l::App app("3.1", "Linear regression");
  return app.run(argc, argv, [&] { std::cout << d2l::repr(torch::randn({2})) << "\n"; });
}
