"""TagDesk (企微标签工作台): WeCom customer tagging and auditing on the desktop."""

__version__ = "0.1.0"
APP_NAME = "TagDesk"
APP_ID = "com.tagdesk.TagDesk"
