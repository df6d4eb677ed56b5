"""botocore exceptions → one Chinese sentence the user can act on (credentials, network, permission, bucket)."""

from __future__ import annotations

from contextlib import contextmanager

from botocore.exceptions import (BotoCoreError, ClientError, ConnectionError as BotoConnectionError,
                                 NoCredentialsError, PartialCredentialsError, SSLError)

from pipeline.deploy.errors import DeployError

_BY_CODE = {
    "InvalidAccessKeyId": "访问密钥 ID 不存在（{bucket}）：请检查仓库机密或环境变量中的 AccessKey ID。",
    "SignatureDoesNotMatch": "访问密钥不正确（签名不匹配）：请检查 AccessKey Secret 是否完整、是否与 ID 配对。",
    "InvalidSecurity": "访问密钥不正确：请检查 AccessKey Secret。",
    "ExpiredToken": "临时访问凭证已过期，请重新获取。",
    "InvalidToken": "临时访问凭证无效，请重新获取。",
    "RequestTimeTooSkewed": "本机时间与对象存储服务相差太多，请先校准系统时间。",
    "AccessDenied": "权限不足：当前密钥无权{action}（存储桶 {bucket}）。部署需要列举、读取、上传和删除对象的权限。",
    "AllAccessDisabled": "存储桶 {bucket} 已被禁止访问，请在云控制台检查存储桶状态。",
    "NoSuchBucket": "存储桶 {bucket} 不存在：请检查 --to 中的存储桶名称和地域（腾讯云 COS 的存储桶名带 -APPID 后缀）。",
    "PermanentRedirect": "存储桶 {bucket} 不在这个地域：请检查 --region 或 --endpoint。",
    "AuthorizationHeaderMalformed": "签名中的地域与存储桶所在地域不符：请检查 --region。",
}
_ACTIONS = {"list": "列举对象", "head": "读取对象信息", "get": "读取对象", "put": "上传对象", "delete": "删除对象"}


def client_error_message(error: ClientError, bucket: str, action: str) -> str:
    details = error.response.get("Error", {})
    code = str(details.get("Code", ""))
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in _BY_CODE:
        return _BY_CODE[code].format(bucket=bucket, action=_ACTIONS[action])
    if status == 403 or code == "403":
        return _BY_CODE["AccessDenied"].format(bucket=bucket, action=_ACTIONS[action])
    return f"对象存储服务拒绝了请求（{_ACTIONS[action]}，错误代码 {code or status}）：{details.get('Message', '')}"


@contextmanager
def s3_errors(bucket: str, endpoint: str, action: str, credential_hint: str):
    """Turn what boto3 raises during `action` into a DeployError; anything unexpected still propagates."""
    try:
        yield
    except (NoCredentialsError, PartialCredentialsError):
        raise DeployError(f"找不到对象存储的访问密钥。请设置环境变量 {credential_hint}。") from None
    except ClientError as error:
        raise DeployError(client_error_message(error, bucket, action)) from None
    except SSLError as error:
        raise DeployError(f"与 {endpoint} 的 HTTPS 连接失败（证书或加密协议问题）：{error}") from None
    except BotoConnectionError as error:
        raise DeployError(f"无法连接对象存储服务 {endpoint}：请检查网络、--endpoint 或 --region。（{error}）") from None
    except BotoCoreError as error:
        raise DeployError(f"访问对象存储服务 {endpoint} 时出错：{error}") from None
