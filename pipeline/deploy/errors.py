"""The one error type of a deploy: its message is Chinese, complete and shown to the user as is."""


class DeployError(Exception):
    """A deploy problem the user can fix (credentials, network, permissions, bucket, site folder)."""
