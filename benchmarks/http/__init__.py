"""HTTP benchmarks: real server processes, pages side by side with the framework's own ceiling."""
