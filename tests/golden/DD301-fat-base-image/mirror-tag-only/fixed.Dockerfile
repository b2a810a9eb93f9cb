# DD301: a Docker Hub mirror with a release variant: only the tag changes (3.12-bookworm → 3.12-slim-bookworm), the registry stays
FROM public.ecr.aws/docker/library/python:3.12-slim-bookworm
COPY app.py /app/app.py
USER 10001:10001
CMD ["python", "/app/app.py"]
