# ENV with several pairs over continuation lines: only the secret pairs go, the others keep their layout and comments
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    # the database the app talks to
    DATABASE_HOST=db
WORKDIR /app
USER 10001
CMD ["gunicorn", "app.wsgi"]
