"""The demo community shaped like Shengquan, and a month of activity in it."""
