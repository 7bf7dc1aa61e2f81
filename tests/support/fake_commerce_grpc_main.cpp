// ordersvc_fake_commerce_grpc: the in-memory Catalog + Inventory gRPC server of the tests
// as a process, for end-to-end runs of a real ordersvc (CATALOG_GRPC_HOST/PORT and
// INVENTORY_GRPC_HOST/PORT both pointing at it).
//
//   ordersvc_fake_commerce_grpc [--host 127.0.0.1] [--port 0] [--seed FILE] [--latency-ms 0]
//
// Prints the bound port alone on stdout line 1 once it serves (read it when --port is 0),
// logs to stderr, and stops on SIGTERM or SIGINT (exit 0). Exit 2 on bad arguments or
// when it cannot listen or read the seed.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "fake_commerce_grpc_server.h"

namespace {

int usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "ordersvc_fake_commerce_grpc: " << problem << "\n";
  std::cerr << "usage: ordersvc_fake_commerce_grpc [--host ADDR] [--port N] [--seed FILE] [--latency-ms N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string seed;
  long latencyMs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage("");
      return 0;
    }
    if (i + 1 >= argc) return usage("missing value after " + arg);
    const std::string value = argv[++i];
    try {
      if (arg == "--host") {
        host = value;
      } else if (arg == "--port") {
        port = std::stoi(value);
      } else if (arg == "--seed") {
        seed = value;
      } else if (arg == "--latency-ms") {
        latencyMs = std::stol(value);
      } else {
        return usage("unknown option " + arg);
      }
    } catch (const std::exception&) {
      return usage("bad value for " + arg + ": " + value);
    }
  }
  if (port < 0 || port > 65535 || latencyMs < 0) return usage("port or latency out of range");

  // Block the stop signals before gRPC starts its threads (they inherit the mask), so
  // sigwait below is the only receiver.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  ordersvc::testing::FakeCommerceGrpcServer server;
  try {
    if (!seed.empty()) server.loadSeedFile(seed);
    server.setLatencyForTest(std::chrono::milliseconds(latencyMs));
    server.start(host, port);
  } catch (const std::exception& e) {
    std::cerr << "ordersvc_fake_commerce_grpc: " << e.what() << "\n";
    return 2;
  }
  std::cout << server.port() << std::endl;
  std::cerr << "ordersvc_fake_commerce_grpc: serving CatalogService and InventoryService on " << host << ":"
            << server.port() << "\n";

  int received = 0;
  sigwait(&stopSignals, &received);
  std::cerr << "ordersvc_fake_commerce_grpc: signal " << received << ", stopping\n";
  server.stop();
  return 0;
}
