# A comment inside the continuation would be lost: not fixed
FROM node:22-slim
USER 1000:1000
CMD node server.js \
# the port the load balancer expects
    --port 3000
