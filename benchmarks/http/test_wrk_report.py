"""The benchmark reads wrk's report right: its units, its percentiles and its errors."""

import pytest

from benchmarks.http.run import parse_wrk

REPORT = """Running 3s test @ http://127.0.0.1:8000/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.81ms    1.02ms  18.40ms   91.20%
    Req/Sec     1.43k   120.31     1.60k    80.00%
  Latency Distribution
     50%  650.00us
     75%    2.91ms
     90%    3.52ms
     99%    1.20s
  4291 requests in 3.00s, 5.11MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:   1429.95
Transfer/sec:      1.70MB
"""


def test_a_report_gives_rate_percentiles_in_ms_and_every_error():
    load = parse_wrk(REPORT)

    assert load["requests"] == 4291
    assert load["rps"] == pytest.approx(1429.95)
    assert load["p50_ms"] == pytest.approx(0.65)  # microseconds
    assert load["p99_ms"] == pytest.approx(1200.0)  # seconds
    assert load["errors"] == 10  # 7 refused answers and 3 socket errors


def test_a_clean_report_has_no_errors_and_anything_else_is_refused():
    clean = REPORT.replace("  Socket errors: connect 0, read 1, write 0, timeout 2\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 7\n", "")

    assert parse_wrk(clean)["errors"] == 0
    with pytest.raises(ValueError, match="not a wrk report"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")
