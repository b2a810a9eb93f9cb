FROM alpine:3.22
# each ENV copies the one before it: the whole chain goes in one run
USER 10001:10001
CMD ["/app"]
