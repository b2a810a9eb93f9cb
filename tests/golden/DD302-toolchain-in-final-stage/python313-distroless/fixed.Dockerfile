# DD302: Python 3.13 (the version distroless python3-debian13 runs) → site-packages and the WORKDIR copied, PYTHONPATH set, CMD drops `python`
FROM python:3.13 AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV PYTHONUNBUFFERED=1
USER 10001:10001
CMD ["python", "-m", "app"]

FROM gcr.io/distroless/python3-debian13:nonroot
ENV PYTHONUNBUFFERED=1
WORKDIR /app
COPY --from=build /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages
COPY --from=build /app /app
ENV PYTHONPATH=/usr/local/lib/python3.13/site-packages
USER 65532:65532
CMD ["-m", "app"]
