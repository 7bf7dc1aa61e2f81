#include <iostream>

#include <Poco/Exception.h>

#include "app/ordersvc_app.h"

int main(int argc, char** argv) {
  ordersvc::app::OrderServiceApp app;
  try {
    return app.run(argc, argv);
  } catch (const Poco::Exception& e) {
    // Bad command line (unknown option, missing argument) and other init failures.
    std::cerr << "ordersvc: " << e.displayText() << " (see --help)\n";
    return 64;
  } catch (const std::exception& e) {
    std::cerr << "ordersvc: " << e.what() << "\n";
    return 70;
  }
}
