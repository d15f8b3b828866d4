"""The S3-compatible back end of the object store, through boto3: MinIO, Alibaba Cloud OSS, Tencent COS, AWS."""
import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from app.storage import unavailable_on


class S3Store:
    """Objects in one bucket, through boto3; every failure of the store is a StoreUnavailable."""

    def __init__(self, client, bucket: str):
        self.client, self.bucket = client, bucket

    def put(self, key, data, content_type):
        with unavailable_on("put", f"{self.bucket}/{key}", BotoCoreError, ClientError):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def open(self, key):
        with unavailable_on("get", f"{self.bucket}/{key}", BotoCoreError, ClientError):
            try:
                return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            except ClientError as exc:
                if exc.response["Error"]["Code"] == "NoSuchKey":
                    return None
                raise

    def delete(self, key):
        with unavailable_on("delete", f"{self.bucket}/{key}", BotoCoreError, ClientError):
            self.client.delete_object(Bucket=self.bucket, Key=key)


def s3_client(config):
    return boto3.session.Session().client(
        "s3", endpoint_url=config["S3_ENDPOINT_URL"] or None, region_name=config["S3_REGION"],
        aws_access_key_id=config["S3_ACCESS_KEY_ID"], aws_secret_access_key=config["S3_SECRET_ACCESS_KEY"],
        config=BotoConfig(
            s3={"addressing_style": config["S3_ADDRESSING_STYLE"]},
            connect_timeout=config["S3_TIMEOUT"], read_timeout=config["S3_TIMEOUT"],
            # One retry: a store that is down answers 503 in seconds rather than after boto3's five attempts.
            retries={"mode": "standard", "max_attempts": 2},
            # boto3 1.36+ adds CRC checksums in a chunked encoding to every upload by default, which OSS, COS
            # and older MinIO refuse; only send them where the API requires one.
            request_checksum_calculation="when_required", response_checksum_validation="when_required"))
