"""The demo district (演示数据): plain data in `data`, the writer in `loader` (`load_demo`)."""
