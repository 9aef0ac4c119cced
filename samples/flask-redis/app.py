# The seed's Flask app: "/" shows the last visit time kept in Redis.
import time

from flask import Flask
from redis import Redis

app = Flask(__name__)
redis = Redis(host="redis", port=6379)


@app.route("/")
def index():
    last = redis.get("last_visit")
    redis.set("last_visit", time.strftime("%Y-%m-%d %H:%M:%S"))
    return "Last visit: %s\n" % (last.decode() if last else "never")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
