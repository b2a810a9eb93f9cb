# An ENV secret no RUN uses is the application's: it leaves the image, and the note says how to inject it at run time
FROM python:3.12-slim
WORKDIR /app
COPY app.py .
USER 10001
CMD ["python", "app.py"]
