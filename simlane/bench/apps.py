from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "simlane.bench"
    label = "bench"
    verbose_name = "Benchmarks"
