"""The documents store on an S3-compatible server (moto's, on loopback): files go in under random
names in parts (a 6 MB file takes two of S3's 5 MB minimum), come back whole, and are deleted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.documents.conftest import pdf
from vetting.document_files import DocumentStore

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")


@pytest.fixture
def bucket(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-2",
        "AWS_ENDPOINT": endpoint,
        "AWS_ALLOW_HTTP": "true",
    }.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2").create_bucket(
        Bucket="testshire-documents", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    try:
        yield "s3://testshire-documents"
    finally:
        server.stop()


async def test_s3_store_puts_streams_lists_and_deletes(bucket: str, tmp_path: Path) -> None:
    store = DocumentStore(bucket)
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf(size=6 * 1024 * 1024))
    stored = await store.put(source, "application/pdf")
    assert stored.size == source.stat().st_size and stored.path != "certificate.pdf"
    assert await store.names() == [stored.path]
    back = b"".join([chunk async for chunk in store.stream(stored)])
    assert back == source.read_bytes()
    await store.delete(stored)
    assert await store.names() == []
