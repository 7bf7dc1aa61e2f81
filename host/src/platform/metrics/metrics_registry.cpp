#include "platform/metrics/metrics_registry.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace ordersvc::metrics {

namespace {

void atomicAdd(std::atomic<double>& target, double by) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + by, std::memory_order_relaxed)) {
  }
}

std::string formatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

void appendEscaped(std::string& out, const std::string& value) {
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
}

void appendSample(std::string& out, const std::string& name, const Labels& labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    bool first = true;
    for (const auto& [key, labelValue] : labels) {
      if (!first) out += ',';
      first = false;
      out += key;
      out += "=\"";
      appendEscaped(out, labelValue);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += formatValue(value);
  out += '\n';
}

void appendFamilyHeader(std::string& out, const std::string& name, const std::string& type, const std::string& help) {
  out += "# HELP " + name + " ";
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  out += "\n# TYPE " + name + " " + type + "\n";
}

std::string bucketBound(double bound) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", bound);
  return buffer;
}

}  // namespace

void Counter::increment(double by) {
  atomicAdd(value_, by);
}

void Gauge::add(double by) {
  atomicAdd(value_, by);
}

Histogram::Histogram(std::vector<double> upperBounds)
    : upperBounds_(std::move(upperBounds)), buckets_(new std::atomic<unsigned long long>[upperBounds_.size() + 1]) {
  for (std::size_t i = 0; i <= upperBounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double value) {
  std::size_t i = 0;
  while (i < upperBounds_.size() && value > upperBounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  atomicAdd(sum_, value);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<unsigned long long> Histogram::bucketCounts() const {
  std::vector<unsigned long long> out(upperBounds_.size() + 1);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = buckets_[i].load(std::memory_order_relaxed);
  return out;
}

std::vector<double> defaultLatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
}

void ExpositionWriter::family(const std::string& name, const std::string& type, const std::string& help) {
  appendFamilyHeader(out_, name, type, help);
}

void ExpositionWriter::sample(const std::string& name, const Labels& labels, double value) {
  appendSample(out_, name, labels, value);
}

MetricsRegistry::Family& MetricsRegistry::familyFor(const std::string& name, const std::string& type,
                                                    const std::string& help) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.type = type;
    it->second.help = help;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " is a " + it->second.type + ", not a " + type);
  }
  return it->second;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = familyFor(name, "counter", help).counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = familyFor(name, "gauge", help).gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help, const Labels& labels,
                                      const std::vector<double>& upperBounds) {
  std::lock_guard lock(mutex_);
  auto& slot = familyFor(name, "histogram", help).histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(upperBounds);
  return *slot;
}

void MetricsRegistry::addCollector(std::function<void(ExpositionWriter&)> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::render() const {
  ExpositionWriter writer;
  std::vector<std::function<void(ExpositionWriter&)>> collectors;
  {
    std::lock_guard lock(mutex_);
    std::string& out = writer.text();
    for (const auto& [name, family] : families_) {
      appendFamilyHeader(out, name, family.type, family.help);
      for (const auto& [labels, counter] : family.counters) appendSample(out, name, labels, counter->value());
      for (const auto& [labels, gauge] : family.gauges) appendSample(out, name, labels, gauge->value());
      for (const auto& [labels, histogram] : family.histograms) {
        const auto counts = histogram->bucketCounts();
        unsigned long long cumulative = 0;
        for (std::size_t i = 0; i < counts.size(); ++i) {
          cumulative += counts[i];
          Labels withLe = labels;
          withLe.emplace_back("le",
                              i < histogram->upperBounds().size() ? bucketBound(histogram->upperBounds()[i]) : "+Inf");
          appendSample(out, name + "_bucket", withLe, static_cast<double>(cumulative));
        }
        appendSample(out, name + "_sum", labels, histogram->sum());
        appendSample(out, name + "_count", labels, static_cast<double>(cumulative));
      }
    }
    collectors = collectors_;
  }
  for (const auto& collector : collectors) collector(writer);
  return writer.text();
}

}  // namespace ordersvc::metrics
