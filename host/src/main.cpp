#include <iostream>

#include <Poco/Exception.h>

#include "app/ordersvc_app.h"

int main(int argc, char** argv) {
  ordersvc::app::OrderServiceApp app;
  // Options are parsed here rather than inside ServerApplication::run(argc, argv),
  // which reports a bad command line as EXIT_CONFIG (78); a usage error is 64, and
  // 78 stays reserved for invalid configuration values. ordersvc runs in the
  // foreground (systemd, containers), so the --daemon handling skipped here is unused.
  try {
    app.init(argc, argv);
  } catch (const Poco::Exception& e) {
    std::cerr << "ordersvc: " << e.displayText() << " (see --help)\n";
    return 64;
  }
  try {
    return static_cast<Poco::Util::Application&>(app).run();  // public in the base class
  } catch (const std::exception& e) {
    std::cerr << "ordersvc: " << e.what() << "\n";
    return 70;
  }
}
