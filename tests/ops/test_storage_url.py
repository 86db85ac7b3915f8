"""``RAPPORT_STORAGE_URL`` to Django's storage settings (``rapport.platform.storage``)."""

from __future__ import annotations

import pytest

from rapport.platform.storage import LOCAL, S3, StorageURLError, storage_from_url


def test_unset_or_file_is_the_local_folder():
    assert storage_from_url("") == LOCAL
    assert storage_from_url("file:") == LOCAL


def test_an_s3_url_names_the_bucket_prefix_endpoint_and_region():
    found = storage_from_url("s3://rapport-files/desk/live?endpoint=https://minio.internal:9000&region=eu-west-2")

    assert found["BACKEND"] == S3
    options = found["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("rapport-files", "desk/live")
    assert (options["endpoint_url"], options["region_name"]) == ("https://minio.internal:9000", "eu-west-2")
    assert options["addressing_style"] == "path"
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None
    assert "access_key" not in options


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("gs://bucket", "must start with s3:// or file:"),
        ("s3:///prefix", "must name a bucket"),
        ("s3://KEY:SECRET@bucket", "must not carry keys"),
        ("s3://bucket?acl=public-read", "unknown options: acl"),
    ],
)
def test_a_url_that_cannot_be_used_is_refused_with_the_reason(url, said):
    with pytest.raises(StorageURLError, match=said):
        storage_from_url(url)
