"""WeChat mini-program integration: the only code in the project that talks to wechatpy."""
