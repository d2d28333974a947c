from datetime import UTC, datetime, timedelta, timezone

import pytest

from simlane.iracing.client.params import encode_params


def test_encoding_matches_what_the_data_api_expects():
    encoded = dict(
        encode_params(
            {
                "cust_ids": [1, 2, 3],
                "include_licenses": True,
                "official_only": False,
                "race_week_num": 0,
                "finish_range_begin": datetime(2026, 1, 1, 12, 30, tzinfo=timezone(timedelta(hours=2))),
                "league_id": None,
            }
        )
    )
    assert encoded == {
        "cust_ids": "1,2,3",
        "include_licenses": "true",
        "official_only": "false",
        "race_week_num": "0",
        "finish_range_begin": "2026-01-01T10:30:00Z",
    }


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        encode_params({"from": datetime(2026, 1, 1)})


def test_utc_datetime_keeps_its_time():
    assert encode_params({"from": datetime(2026, 1, 1, tzinfo=UTC)}) == [("from", "2026-01-01T00:00:00Z")]
