# DD302: a Maven build on maven:3.9-eclipse-temurin-21 → distroless java21; CMD is the jar, since the image's entrypoint is `java -jar`
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests
EXPOSE 8080
USER 10001:10001
CMD ["java", "-jar", "target/app.jar", "--server.port=8080"]

FROM gcr.io/distroless/java21-debian13:nonroot
EXPOSE 8080
WORKDIR /build
COPY --from=build /build/target/app.jar /build/target/app.jar
USER 65532:65532
CMD ["target/app.jar", "--server.port=8080"]
