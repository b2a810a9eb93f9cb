# Windows Server Core runs as ContainerAdministrator: switch to ContainerUser
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY app.exe C:/app/app.exe
USER ContainerUser
CMD ["C:\\app\\app.exe"]
