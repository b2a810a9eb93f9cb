# Quotes are the shell's: the exec form holds the words they make
FROM python:3.13-slim
USER 10001
CMD ["python", "-c", "print(\"hello, world\")", "--flag", "two words"]
