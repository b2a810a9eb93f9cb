# A shell-form ENTRYPOINT and no CMD: the exec form is the same program, now PID 1
FROM python:3.13-slim
USER 10001
ENTRYPOINT ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
