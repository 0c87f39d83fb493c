# One build, three runtime images: docker build --target silo|gateway|simulators .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so code changes reuse the restore layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY grain-interfaces/*.csproj grain-interfaces/
COPY grains/*.csproj grains/
COPY connectors/*.csproj connectors/
COPY storage/*.csproj storage/
COPY silo/*.csproj silo/
COPY api/*.csproj api/
COPY simulators/*.csproj simulators/
RUN dotnet restore silo/Tributary.Silo.csproj \
 && dotnet restore api/Tributary.Api.csproj \
 && dotnet restore simulators/Tributary.Simulators.csproj
COPY grain-interfaces/ grain-interfaces/
COPY grains/ grains/
COPY connectors/ connectors/
COPY storage/ storage/
COPY silo/ silo/
COPY api/ api/
COPY simulators/ simulators/
RUN dotnet publish silo/Tributary.Silo.csproj -c Release --no-restore -o /out/silo \
 && dotnet publish api/Tributary.Api.csproj -c Release --no-restore -o /out/gateway \
 && dotnet publish simulators/Tributary.Simulators.csproj -c Release --no-restore -o /out/simulators

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS silo
WORKDIR /app
# A 4 MB gen0 budget (as ./run.sh sets it): short, frequent collections instead of long ones sized from the L3 cache.
ENV DOTNET_GCgen0size=0x400000
COPY --from=build /out/silo .
USER $APP_UID
EXPOSE 11111 30000
ENTRYPOINT ["dotnet", "Tributary.Silo.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS gateway
WORKDIR /app
# A 4 MB gen0 budget (as ./run.sh sets it): short, frequent collections instead of long ones sized from the L3 cache.
ENV DOTNET_GCgen0size=0x400000
COPY --from=build /out/gateway .
USER $APP_UID
EXPOSE 5080
ENTRYPOINT ["dotnet", "Tributary.Api.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulators
WORKDIR /app
COPY --from=build /out/simulators .
USER $APP_UID
EXPOSE 5090
ENTRYPOINT ["dotnet", "Tributary.Simulators.dll"]
