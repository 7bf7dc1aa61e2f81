#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ordersvc::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// A monotonically increasing count. Lock-free increments.
class Counter {
 public:
  void increment(double by = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down.
class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double by);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Observations counted into fixed cumulative buckets, as Prometheus histograms are.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upperBounds);
  void observe(double value);

  const std::vector<double>& upperBounds() const { return upperBounds_; }
  std::vector<unsigned long long> bucketCounts() const;  // non-cumulative, plus +Inf last
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  unsigned long long count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> upperBounds_;
  std::unique_ptr<std::atomic<unsigned long long>[]> buckets_;
  std::atomic<double> sum_{0.0};
  std::atomic<unsigned long long> count_{0};
};

// Latency buckets in seconds, from 1 ms to 10 s.
std::vector<double> defaultLatencyBuckets();

// Builds text in the Prometheus exposition format (version 0.0.4), used by collectors
// that compute values at scrape time.
class ExpositionWriter {
 public:
  void family(const std::string& name, const std::string& type, const std::string& help);
  void sample(const std::string& name, const Labels& labels, double value);
  std::string& text() { return out_; }

 private:
  std::string out_;
};

// The process's metrics. Metrics are created on first use and live as long as the
// registry; the references returned stay valid. A name is registered with one type
// and help text; asking for it with another type is a programming error (throws).
//
// Thread-safety: every method may be called from any thread.
class MetricsRegistry {
 public:
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                       const std::vector<double>& upperBounds = defaultLatencyBuckets());

  // Adds a function that writes whole families at scrape time (pool and process stats).
  void addCollector(std::function<void(ExpositionWriter&)> collector);

  // Everything, in the Prometheus text format.
  std::string render() const;

 private:
  struct Family {
    std::string type;
    std::string help;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };
  Family& familyFor(const std::string& name, const std::string& type, const std::string& help);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;                          // guarded by mutex_
  std::vector<std::function<void(ExpositionWriter&)>> collectors_;  // guarded by mutex_
};

}  // namespace ordersvc::metrics
