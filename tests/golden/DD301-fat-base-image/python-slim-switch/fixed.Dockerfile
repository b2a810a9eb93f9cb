# DD301: python:3.12 whose RUN steps only pip-install: the tag becomes 3.12-slim (same release), nothing else changes
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001:10001
CMD ["python", "app.py"]
